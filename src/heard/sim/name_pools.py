"""Name pools by origin, written for this generator. Names are common given and family names
drawn at random and combined at random, so no combination describes a real person.

Each pool is one whitespace-separated string so the lists stay compact and easy to extend.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NamePool:
    origin: str
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    # Share of this origin in the synthetic population (a broad UK urban mix).
    weight: float
    # Chance that a record writes the family name first (as the person gave it, or by mistake).
    family_first_rate: float = 0.01


def _pool(origin: str, weight: float, female: str, male: str, family: str, **kw: float) -> NamePool:
    return NamePool(
        origin, tuple(female.split()), tuple(male.split()), tuple(family.split()), weight, **kw
    )


POOLS: tuple[NamePool, ...] = (
    _pool(
        "english",
        0.60,
        "Olivia Amelia Emily Jessica Sophie Charlotte Hannah Lucy Grace Chloe Emma Sarah Laura "
        "Rebecca Katherine Elizabeth Margaret Susan Karen Julie Tracey Joanne Michelle Nicola "
        "Samantha Victoria Jennifer Rachel Claire Helen Amanda Deborah Linda Patricia Jacqueline "
        "Kelly Gemma Stacey Danielle Natalie Leanne Kirsty Abigail Megan Ellie Poppy Isla Ruby "
        "Evie Freya Daisy Alice Florence Mia Lily Holly Jade Paige Courtney Shannon Bethany",
        "Oliver George Harry Jack Jacob Charlie Thomas James William Joshua Daniel Samuel "
        "Matthew Christopher Andrew David Michael Robert Richard Stephen Paul Mark Peter John "
        "Anthony Kevin Gary Lee Craig Darren Wayne Dean Jason Shaun Carl Neil Ian Simon Martin "
        "Alexander Joseph Benjamin Edward Nicholas Ryan Liam Kieran Connor Callum Nathan Adam "
        "Luke Jordan Jamie Reece Bradley Kyle Tyler Alfie Freddie Archie Leo Oscar Noah",
        "Smith Jones Taylor Brown Wilson Johnson Robinson Wright Thompson White Walker Hughes "
        "Green Hall Wood Harris Lewis Martin Jackson Clarke Clark Turner Hill Scott Cooper Ward "
        "Morris Moore King Watson Baker Harrison Morgan Patel Young Allen Mitchell James Anderson "
        "Phillips Lee Bell Parker Bennett Shaw Cook Richardson Carter Bailey Collins Marshall "
        "Dixon Atkinson Chapman Simpson Armstrong Foster Henderson Fletcher Jackson Hodgson "
        "Metcalfe Pearson Robson Stephenson Dobson Laidler Cowie Thornton Brewster Appleby "
        "Featherstone Hardy Nicholson Barker Bainbridge Gibson Lowther Ridley Wainwright",
    ),
    _pool(
        "welsh",
        0.04,
        "Cerys Ffion Seren Megan Sian Rhian Bethan Catrin Nia Eleri Carys Lowri Angharad Mali",
        "Rhys Dylan Owain Gareth Dafydd Huw Iwan Aled Emyr Gethin Ioan Llyr Tomos Gruffydd",
        "Jones Williams Davies Evans Thomas Roberts Lewis Hughes Morgan Griffiths Owen Jenkins "
        "Price Pritchard Lloyd Rees Powell Vaughan Bevan Pugh Parry Llewellyn",
    ),
    _pool(
        "scottish",
        0.04,
        "Eilidh Isla Kirsty Morag Fiona Mhairi Catriona Ailsa Shona Iona Skye Rhona Lorna",
        "Callum Euan Fraser Hamish Angus Calum Ewan Ross Struan Alasdair Gregor Duncan Murray",
        "MacDonald Campbell Stewart Robertson Murray MacLeod Reid Ross Fraser Cameron Grant "
        "Henderson MacKenzie Sinclair Munro Douglas Buchanan Ferguson McGregor Kerr Burns",
    ),
    _pool(
        "irish",
        0.04,
        "Siobhan Aoife Niamh Ciara Roisin Saoirse Orla Caoimhe Sinead Aisling Grainne Mairead",
        "Sean Patrick Ciaran Declan Niall Eoin Cathal Padraig Conor Darragh Oisin Fergal Liam",
        "Murphy Kelly O'Brien Byrne Ryan O'Sullivan Walsh O'Connor McCarthy Doyle Gallagher "
        "O'Neill Kennedy Quinn Brennan Duffy Flanagan McLaughlin Donnelly Keane Farrell",
    ),
    _pool(
        "south_asian",
        0.08,
        "Fatima Aisha Zainab Ayesha Sana Amina Nadia Samina Shazia Rubina Nasreen Parveen Priya "
        "Anjali Sunita Pooja Kiran Harpreet Gurpreet Manpreet Jaspreet Simran Rukhsana Farzana "
        "Shabana Tahira Noor Hina Saima Bushra Sadia Neelam Rani Meena Deepa",
        "Mohammed Muhammad Ahmed Ali Hassan Imran Asif Tariq Zahid Shahid Kamran Adnan Bilal "
        "Usman Faisal Arjun Rahul Vikram Sanjay Amit Rajesh Harjit Gurdeep Sukhvinder Jaswinder "
        "Mandeep Rajinder Amar Abdul Naveed Saleem Waqar Zubair Irfan Yasir",
        "Khan Hussain Ahmed Ali Akhtar Iqbal Mahmood Rashid Butt Malik Chaudhry Shah Bibi Begum "
        "Patel Sharma Singh Kaur Gill Sandhu Sidhu Dhillon Bains Kumar Mistry Chauhan Rahman "
        "Islam Uddin Miah Choudhury Hoque",
        family_first_rate=0.02,
    ),
    _pool(
        "arabic",
        0.03,
        "Fatima Mariam Layla Nour Huda Rania Yasmin Salma Hana Amal Dalia Rasha Lina Samira Reem",
        "Mohammed Ahmed Omar Khalid Youssef Ibrahim Hassan Mahmoud Karim Tariq Samir Walid Nabil "
        "Hamza Zaid Bilal Faris Rami Adel",
        "Al-Sayed Haddad Mansour Nasser Hamdan Khalil Saleh Abbas Aziz Darwish Farah Hamid Jaber "
        "Najjar Qasim Rahman Saeed Sharif Taha Yousef Tamimi Hijazi",
        family_first_rate=0.02,
    ),
    _pool(
        "eastern_european",
        0.05,
        "Anna Katarzyna Agnieszka Magdalena Joanna Aleksandra Monika Ewa Malgorzata Natalia "
        "Karolina Justyna Irina Elena Oksana Daria Ioana Andreea Simona Jelena Lucie Zuzana",
        "Piotr Krzysztof Tomasz Pawel Michal Marcin Lukasz Jakub Kamil Wojciech Andrzej Mateusz "
        "Adam Mariusz Dmitri Andrei Ion Mihai Bogdan Vasile Marek Jan Ondrej Lukas",
        "Nowak Kowalski Wisniewski Wojcik Kowalczyk Kaminski Lewandowski Zielinski Szymanski "
        "Wozniak Dabrowski Kozlowski Jankowski Mazur Kwiatkowski Krawczyk Popescu Ionescu "
        "Dumitru Petrov Ivanov Horvath Novak Kovacs Balogh Stan",
    ),
    _pool(
        "somali",
        0.01,
        "Hodan Faduma Sahra Hibo Ayan Amina Asha Ubah Deeqa Ifrah Nimco Sagal Hamdi Khadra",
        "Mohamed Abdi Abdullahi Ahmed Hassan Omar Yusuf Ali Abdirahman Mahad Liban Farah Ismail",
        "Abdi Mohamed Ahmed Hassan Farah Ali Omar Warsame Jama Osman Nur Yusuf Abdullahi Hersi "
        "Egal Dahir Aden Elmi",
        family_first_rate=0.03,
    ),
    _pool(
        "west_african",
        0.03,
        "Blessing Chioma Adaeze Ngozi Funmilayo Temitope Folake Abena Ama Efua Akosua Grace "
        "Precious Favour Oluwaseun Yetunde Aminata Fatou Mariama Adwoa",
        "Oluwaseun Chinedu Emeka Babatunde Olumide Tunde Kwame Kofi Kwabena Yaw Samuel Emmanuel "
        "Chukwuemeka Ifeanyi Ibrahima Mamadou Moussa Segun Femi Obinna",
        "Okafor Okonkwo Adeyemi Adebayo Oyelaran Balogun Nwosu Eze Mensah Owusu Boateng Asante "
        "Osei Appiah Danso Diallo Bah Sesay Kamara Conteh Ogunleye Afolabi",
    ),
    _pool(
        "caribbean",
        0.02,
        "Shanice Keisha Tanisha Marcia Beverley Sharon Jasmine Aaliyah Tiana Chantelle Monique",
        "Marcus Andre Jermaine Tyrone Delroy Winston Leroy Dwayne Kareem Jerome Errol Desmond",
        "Campbell Brown Williams Thomas Grant Francis Henry Reid Gordon Richards Morgan Bailey "
        "Samuels Clarke Gayle Barrett Lindo Stewart",
    ),
    _pool(
        "chinese",
        0.02,
        "Mei Li Xiu Ying Hui Jing Yan Lan Fang Ling Xia Qing Wen Jia",
        "Wei Jun Hao Ming Jian Lei Tao Bo Yong Gang Cheng Hong Kai Peng",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Lin Guo He Lam Wong "
        "Chan Cheung Ng Lau",
        family_first_rate=0.15,
    ),
)
